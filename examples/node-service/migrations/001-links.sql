-- A short link: a slug that names a URL. The database enforces what a link is, so every
-- writer gets the same rules (the service answers their violations with 4xx).
CREATE TABLE links (
  slug text PRIMARY KEY CHECK (slug ~ '^[a-z0-9-]{1,40}$'),
  url text NOT NULL CHECK (url ~ '^https?://'),
  created_at timestamptz NOT NULL DEFAULT now()
);
