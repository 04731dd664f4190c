/** The PostgreSQL ledger's rows and mappers: the ones both ledgers share (`../rows.ts`), plus its session columns. */
export * from '../rows.ts';

/** The columns a session is read with (the ordinal stays inside the ledger). */
export const SESSION_COLUMNS = 'id, room_id, started_at, ended_at, likes';
