-- Roles every institution starts with; the administrator can change them.
INSERT INTO role (code, name_ja, name_en, factor_policy, administrator) VALUES
    ('SYSTEM_ADMIN',     'システム管理者',            'System administrator', 'TWO_FACTOR', TRUE),
    ('SECURITY_OFFICER', '医療情報システム安全管理責任者', 'Security officer',     'TWO_FACTOR', FALSE),
    ('DOCTOR',           '医師',                    'Doctor',               'TWO_FACTOR', FALSE),
    ('NURSE',            '看護師',                  'Nurse',                'TWO_FACTOR', FALSE),
    ('PHARMACIST',       '薬剤師',                  'Pharmacist',           'TWO_FACTOR', FALSE),
    ('TECHNICIAN',       '医療技術職',               'Medical technician',   'TWO_FACTOR', FALSE),
    ('CLERK',            '医事・事務',               'Clerk',                'TWO_FACTOR', FALSE),
    ('VENDOR',           '保守事業者',               'Vendor engineer',      'TWO_FACTOR', FALSE),
    ('AUDITOR',          '監査担当',                 'Auditor',              'TWO_FACTOR', FALSE);

INSERT INTO role_permission (role_id, category, access)
SELECT r.id, p.category, p.access FROM role r JOIN (VALUES
    ('SYSTEM_ADMIN', 'SYSTEM_ADMIN', 'WRITE'), ('SYSTEM_ADMIN', 'BACKUP', 'WRITE'), ('SYSTEM_ADMIN', 'ACCESS_LOG', 'READ'),
    ('SECURITY_OFFICER', 'ACCESS_LOG', 'READ'), ('SECURITY_OFFICER', 'SYSTEM_ADMIN', 'READ'), ('SECURITY_OFFICER', 'BACKUP', 'READ'),
    ('DOCTOR', 'PATIENT_PROFILE', 'READ'), ('DOCTOR', 'CLINICAL_RECORD', 'WRITE'), ('DOCTOR', 'NURSING_RECORD', 'READ'),
    ('DOCTOR', 'ORDERS', 'WRITE'), ('DOCTOR', 'PRESCRIPTION', 'WRITE'), ('DOCTOR', 'RESULTS', 'READ'), ('DOCTOR', 'IMAGING', 'READ'),
    ('NURSE', 'PATIENT_PROFILE', 'READ'), ('NURSE', 'CLINICAL_RECORD', 'READ'), ('NURSE', 'NURSING_RECORD', 'WRITE'),
    ('NURSE', 'ORDERS', 'READ'), ('NURSE', 'PRESCRIPTION', 'READ'), ('NURSE', 'RESULTS', 'READ'),
    ('PHARMACIST', 'PATIENT_PROFILE', 'READ'), ('PHARMACIST', 'PRESCRIPTION', 'WRITE'), ('PHARMACIST', 'RESULTS', 'READ'),
    ('PHARMACIST', 'CLINICAL_RECORD', 'READ'),
    ('TECHNICIAN', 'PATIENT_PROFILE', 'READ'), ('TECHNICIAN', 'ORDERS', 'READ'), ('TECHNICIAN', 'RESULTS', 'WRITE'),
    ('TECHNICIAN', 'IMAGING', 'WRITE'),
    ('CLERK', 'PATIENT_PROFILE', 'WRITE'), ('CLERK', 'BILLING', 'WRITE'),
    ('VENDOR', 'SYSTEM_ADMIN', 'READ'),
    ('AUDITOR', 'ACCESS_LOG', 'READ')
) AS p(role_code, category, access) ON p.role_code = r.code;
