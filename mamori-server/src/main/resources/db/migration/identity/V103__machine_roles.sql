-- Systems that send access events (EHR, レセコン, PACS) sign in as system accounts with this role.
INSERT INTO role (code, name_ja, name_en, factor_policy, administrator) VALUES
    ('AUDIT_SOURCE', 'アクセスログ送信システム', 'Access-log source system', 'PASSWORD', FALSE);
