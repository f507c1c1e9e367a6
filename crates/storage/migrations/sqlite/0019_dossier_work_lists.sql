-- The work lists (quá hạn, sắp đến hạn, chờ bổ sung, chờ trả kết quả) of a set of units: by state,
-- then appointment, whatever the receipt moment (an overdue dossier of last year is still on it).
CREATE INDEX dossiers_by_state ON dossiers (unit_code, state, due_at);
