-- SPDX-License-Identifier: Apache-2.0
-- 0001_initial: topics catalog, consumer groups, members, assignments, committed offsets.
-- IMMUTABLE once shipped: its checksum is recorded in schema_migrations and a
-- changed file is refused at open. Change the schema with a new NNNN_name.sql.
-- schema_migrations itself is created by the migrator before this runs.
-- Times are milliseconds since the Unix epoch (UTC), supplied by the caller's clock.

-- One row per topic. config is "key=value" lines (see TopicConfigRecord), '' for none.
CREATE TABLE topics (
    name            TEXT    NOT NULL PRIMARY KEY,
    partition_count INTEGER NOT NULL CHECK (partition_count > 0),
    config          TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
) STRICT;

-- One row per consumer group. generation bumps on every membership or
-- subscribed-partition-count change; state is the coordinator's state name.
CREATE TABLE groups (
    group_id      TEXT    NOT NULL PRIMARY KEY,
    generation    INTEGER NOT NULL DEFAULT 0 CHECK (generation >= 0),
    assignor      TEXT    NOT NULL,
    state         TEXT    NOT NULL,
    protocol_type TEXT    NOT NULL DEFAULT 'consumer',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- One row per member of a group, including static members awaiting rejoin.
-- subscription: topic names joined by ',' (topic names cannot contain ',').
CREATE TABLE members (
    group_id             TEXT    NOT NULL,
    member_id            TEXT    NOT NULL,
    instance_id          TEXT,
    client_id            TEXT    NOT NULL DEFAULT '',
    subscription         TEXT    NOT NULL,
    session_timeout_ms   INTEGER NOT NULL CHECK (session_timeout_ms > 0),
    rebalance_timeout_ms INTEGER NOT NULL CHECK (rebalance_timeout_ms > 0),
    joined_generation    INTEGER NOT NULL CHECK (joined_generation >= 0),
    PRIMARY KEY (group_id, member_id),
    FOREIGN KEY (group_id) REFERENCES groups (group_id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
) STRICT, WITHOUT ROWID;

-- A static instance id names at most one member of a group.
CREATE UNIQUE INDEX members_instance_id ON members (group_id, instance_id)
    WHERE instance_id IS NOT NULL;

-- Target assignment: each partition of a group has at most one owner.
-- state 'assigned': member_id owns it. state 'pendingRevocation' (cooperative
-- sticky): member_id still owns it until it acknowledges the revocation or
-- leaves; then it goes to pending_member_id.
CREATE TABLE assignments (
    group_id          TEXT    NOT NULL,
    topic             TEXT    NOT NULL,
    partition         INTEGER NOT NULL CHECK (partition >= 0),
    member_id         TEXT    NOT NULL,
    generation        INTEGER NOT NULL CHECK (generation >= 0),
    state             TEXT    NOT NULL DEFAULT 'assigned'
                              CHECK (state IN ('assigned', 'pendingRevocation')),
    pending_member_id TEXT,
    PRIMARY KEY (group_id, topic, partition),
    FOREIGN KEY (group_id, member_id) REFERENCES members (group_id, member_id)
        ON DELETE CASCADE ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED
) STRICT, WITHOUT ROWID;

CREATE INDEX assignments_member ON assignments (group_id, member_id);

-- Committed offsets: next_offset is the next offset to consume. No foreign key
-- to groups: offsets can be committed or reset for a group with no live
-- members, and are only deleted explicitly (group or topic deletion).
CREATE TABLE offsets (
    group_id    TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    partition   INTEGER NOT NULL CHECK (partition >= 0),
    next_offset INTEGER NOT NULL CHECK (next_offset >= 0),
    metadata    TEXT    NOT NULL DEFAULT '',
    commit_time INTEGER NOT NULL,
    PRIMARY KEY (group_id, topic, partition)
) STRICT, WITHOUT ROWID;

CREATE INDEX offsets_topic ON offsets (topic);
