"""One request -> approve/reject mechanism for acts that need a second person (erasure today;
plan, exit, reintegration, reopening and entitlement later), with the approvers' worklist."""
