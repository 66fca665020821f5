-- A message may be stored as a template name and its parameters instead of the whole text:
-- with `template` set, `body` holds the parameters (compact JSON) and the application
-- renders the text when it reads the row (`notify::template`). NULL: `body` is the text.
ALTER TABLE outbox ADD COLUMN template TEXT;
