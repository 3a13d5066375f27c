-- Transform settings for this transaction only: sorts and hashes over all lines stay in memory.
SET LOCAL work_mem = '256MB';
