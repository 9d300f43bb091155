-- An inbound text that mentions opting out ("Stop by at 5?", "please don't remove me") but
-- was not read as an opt-out: flagged so the agent and the operator read it and decide.
ALTER TABLE inbound_messages ADD COLUMN opt_out_hint INTEGER NOT NULL DEFAULT 0 CHECK (opt_out_hint IN (0, 1));
