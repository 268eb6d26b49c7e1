// A service's state in one SQLite file (node:sqlite, nothing to install): opening it in WAL mode with its schema,
// prepared statements kept for reuse, transactions, and the `meta` table (key → value) a service binds the file to
// its chain and contract with. A service's Store extends SqliteStore with its own tables and queries.
import { DatabaseSync, type StatementSync } from "node:sqlite";

/** The `meta` table every service's schema gets first. */
const META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);";

export class SqliteStore {
  protected readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  /** Opens (or creates) the file at `path` and creates what `schema` lists that is not there yet. */
  constructor(path: string, schema: string) {
    this.db = new DatabaseSync(path);
    // WAL with synchronous=NORMAL: a commit is in the WAL file when it returns and survives the process being killed
    // at any point; only a power cut could lose the last commits (each service says why that is acceptable for it).
    this.db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
    this.db.exec(META);
    this.db.exec(schema);
  }

  /** The prepared statement for `text`, prepared once. */
  protected sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  close(): void {
    this.db.close();
  }

  /** Runs `body` in one transaction: all of its writes or none. */
  transaction<T>(body: () => T): T {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const result = body();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  protected meta(key: string): string | undefined {
    const row = this.sql("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value;
  }

  protected setMeta(key: string, value: string): void {
    this.sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      key,
      value,
    );
  }
}
