-- customer-service owns this database alone (Database per Service).

CREATE TABLE customer (
    id               VARCHAR(36)    PRIMARY KEY,
    username         VARCHAR(100)   NOT NULL UNIQUE,
    name             VARCHAR(200)   NOT NULL,
    credit_limit     NUMERIC(11, 2) NOT NULL CHECK (credit_limit >= 0),
    -- The last line of defence against an overdraft: no code path can commit a negative balance.
    available_credit NUMERIC(11, 2) NOT NULL CHECK (available_credit >= 0 AND available_credit <= credit_limit)
);

-- One row per orderId, ever: the primary key makes a reservation idempotent, and a VOIDED row makes
-- sure an order the reconciler gave up on can never take credit later.
CREATE TABLE reservation (
    order_id    VARCHAR(64)   PRIMARY KEY,
    customer_id VARCHAR(36)   REFERENCES customer (id),
    amount      NUMERIC(9, 2),
    status      VARCHAR(16)   NOT NULL CHECK (status IN ('APPROVED', 'REJECTED', 'VOIDED')),
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CHECK (status = 'VOIDED' OR (customer_id IS NOT NULL AND amount > 0))
);

CREATE INDEX reservation_customer_status ON reservation (customer_id, status);
