"""catalog index on PostgreSQL: product postings in key order

Revision ID: 0007
Revises: 0006

PostgreSQL only (SQLite's FTS5 already reads matches in key order). ``catalog_terms``
holds one row per (term, product key), where a term is a word with where it stands:
``0:`` to ``3:`` for the first four words of the name, ``n:`` for any word of the name,
``b:`` for a word of the description or category that is not in the name, and ``c:``
for the category's slug (browsing a category reads in key order too). Statement
triggers keep it in step with ``catalog_products``, as SQLite's triggers keep FTS5. See
federation/index/postings.py.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_UPGRADE = (
    """
    CREATE TABLE catalog_terms (
        term text COLLATE "C" NOT NULL,
        key bigint NOT NULL,
        PRIMARY KEY (term, key)
    )
    """,
    # search_name and search_body are normalised: words of [a-z0-9] joined by single
    # spaces, so splitting on a space yields exactly the lexemes of their tsvectors.
    """
    CREATE FUNCTION catalog_terms_of(name text, body text, category text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT 'c:' || category
        UNION
        SELECT (u.position - 1)::text || ':' || u.word
        FROM unnest(string_to_array(name, ' ')) WITH ORDINALITY AS u(word, position)
        WHERE u.position <= 4
        UNION
        SELECT 'n:' || word FROM unnest(string_to_array(name, ' ')) AS word
        UNION
        SELECT 'b:' || word FROM unnest(string_to_array(body, ' ')) AS word
        WHERE NOT (word = ANY (string_to_array(name, ' ')))
    $$
    """,
    """
    CREATE FUNCTION catalog_terms_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO catalog_terms (term, key)
        SELECT t.term, n.key
        FROM added n CROSS JOIN LATERAL catalog_terms_of(n.search_name, n.search_body, n.category) AS t(term);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION catalog_terms_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM catalog_terms c
        USING removed o CROSS JOIN LATERAL catalog_terms_of(o.search_name, o.search_body, o.category) AS t(term)
        WHERE c.term = t.term AND c.key = o.key;
        RETURN NULL;
    END
    $$
    """,
    # An update rewrites the postings only of rows whose key or text changed (a new
    # price is a new key); a stock change leaves them alone.
    """
    CREATE FUNCTION catalog_terms_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM catalog_terms c
        USING removed o JOIN added n ON n.network = o.network AND n.id = o.id
            CROSS JOIN LATERAL catalog_terms_of(o.search_name, o.search_body, o.category) AS t(term)
        WHERE (o.key, o.search_name, o.search_body, o.category)
                IS DISTINCT FROM (n.key, n.search_name, n.search_body, n.category)
            AND c.term = t.term AND c.key = o.key;
        INSERT INTO catalog_terms (term, key)
        SELECT t.term, n.key
        FROM removed o JOIN added n ON n.network = o.network AND n.id = o.id
            CROSS JOIN LATERAL catalog_terms_of(n.search_name, n.search_body, n.category) AS t(term)
        WHERE (o.key, o.search_name, o.search_body, o.category)
            IS DISTINCT FROM (n.key, n.search_name, n.search_body, n.category);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER catalog_terms_insert AFTER INSERT ON catalog_products
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION catalog_terms_added()
    """,
    """
    CREATE TRIGGER catalog_terms_delete AFTER DELETE ON catalog_products
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION catalog_terms_removed()
    """,
    """
    CREATE TRIGGER catalog_terms_update AFTER UPDATE ON catalog_products
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_terms_changed()
    """,
    """
    INSERT INTO catalog_terms (term, key)
    SELECT t.term, p.key
    FROM catalog_products p CROSS JOIN LATERAL catalog_terms_of(p.search_name, p.search_body, p.category) AS t(term)
    """,
)

_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS catalog_terms_update ON catalog_products",
    "DROP TRIGGER IF EXISTS catalog_terms_delete ON catalog_products",
    "DROP TRIGGER IF EXISTS catalog_terms_insert ON catalog_products",
    "DROP FUNCTION IF EXISTS catalog_terms_changed()",
    "DROP FUNCTION IF EXISTS catalog_terms_removed()",
    "DROP FUNCTION IF EXISTS catalog_terms_added()",
    "DROP FUNCTION IF EXISTS catalog_terms_of(text, text, text)",
    "DROP TABLE IF EXISTS catalog_terms",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _DOWNGRADE:
        op.execute(statement)
