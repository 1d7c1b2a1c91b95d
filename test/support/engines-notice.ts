/** Says, once per run, whether the PostgreSQL half of the database tests runs (TEST_DATABASE_URL) or was skipped. */
export default function setup(): void {
  const url = process.env.TEST_DATABASE_URL;
  if (url) console.log(`Database tests run on SQLite and on PostgreSQL (TEST_DATABASE_URL=${url.replace(/\/\/[^@/]*@/, '//…@')}).`);
  else console.log('PostgreSQL half of the database tests skipped: set TEST_DATABASE_URL=postgres://… to run it (see README).');
}
