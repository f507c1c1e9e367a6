-- Which survey answers are about a visit without a dossier (issue 14 item 5, migration 0029):
-- 1 for those, 0 for an answer about a dossier (every answer stored before). Only the answers
-- about dossiers stand for their dossier's rating in the figures (cchc_app::survey::rate).
ALTER TABLE survey_answers ADD COLUMN visit BIGINT NOT NULL DEFAULT 0;
