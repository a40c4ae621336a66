"""Use cases. Each public function is one transaction: it changes the data, writes
its audit record through `audit.record` in the same transaction, and commits."""
