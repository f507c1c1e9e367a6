-- Per-unit document settings of the report DOCX (ký hiệu, signer, TM./KT., Nơi nhận, place,
-- parent body), one JSON document per unit (cchc_storage::DocumentSettings).
CREATE TABLE document_settings (
    unit_code TEXT PRIMARY KEY,
    json TEXT NOT NULL
);
