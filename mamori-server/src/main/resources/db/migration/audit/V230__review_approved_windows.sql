-- The vendor check of the periodic review counts the vendor accesses outside the approved
-- maintenance windows of the connections register. NULL: the windows were not known at sign-off.
-- Adding a column does not touch the stored rows, which stay as they were signed.
ALTER TABLE audit_review_check ADD COLUMN outside_windows BIGINT;
