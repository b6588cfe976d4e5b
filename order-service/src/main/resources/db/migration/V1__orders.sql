-- order-service owns this database alone (Database per Service).

CREATE TABLE orders (
    id               VARCHAR(36)    PRIMARY KEY,
    username         VARCHAR(100)   NOT NULL,
    customer_id      VARCHAR(36)    NOT NULL,
    amount           NUMERIC(9, 2)  NOT NULL CHECK (amount > 0),
    description      VARCHAR(200),
    -- PENDING until customer-service's decision is known; the reconciler settles what a request could not.
    state            VARCHAR(16)    NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED')),
    rejection_reason VARCHAR(32),
    created_at       TIMESTAMPTZ    NOT NULL,
    updated_at       TIMESTAMPTZ    NOT NULL,
    -- The client's Idempotency-Key, scoped to the user: one order per key, ever.
    idempotency_key  VARCHAR(255),
    -- Set while the request that made the order may still be running; the reconciler leaves it alone until then.
    in_flight_until  TIMESTAMPTZ,
    CHECK ((state = 'REJECTED') = (rejection_reason IS NOT NULL)),
    UNIQUE (username, idempotency_key)
);

CREATE INDEX orders_by_user ON orders (username, created_at);
CREATE INDEX orders_pending ON orders (created_at) WHERE state = 'PENDING';
