import path from "node:path";
import type { Config } from "./platform/config";
import type { Database, Db } from "./platform/db";
import { createFileStore, type FileStore } from "./platform/files";
import { createEventBus, type EventBus } from "./platform/events";
import { createAccessEpoch, type AccessEpoch } from "./platform/access-epoch";
import { createSearchService, type SearchService } from "./modules/search/search.service";
import { createExpertiseService, type ExpertiseService } from "./modules/expertise/expertise.service";

// The entry's wiring: the platform (config, database, files, events) knows no feature; the
// process-wide services of features (search index, expertise model) are put together here.

/** Everything a request handler or service may use, built once per process. */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  search: SearchService;
  files: FileStore;
  /** Real-time events (in-process on PGlite, LISTEN/NOTIFY across instances on PostgreSQL). */
  events: EventBus;
  /** Moves when sessions, roles or space memberships change: caches of those compare it (platform/access-epoch.ts). */
  accessEpoch: AccessEpoch;
  expertise: ExpertiseService;
  /** The clock, passed in so rules can be tested at any time. */
  now: () => Date;
  /** Background jobs (platform/jobs.ts): `kick` runs due ones now, where a worker runs (a no-op otherwise). */
  jobs: { kick: () => void };
};

/** Wires the process-wide services for a database. */
export function createContext(config: Config, database: Database, now: () => Date = () => new Date()): AppContext {
  return {
    config,
    database,
    db: database.db,
    search: createSearchService(
      database.db,
      now,
      config.searchSnapshot ? { file: path.join(config.dataDir, "search", "index.snapshot") } : undefined,
    ),
    files: createFileStore(path.join(config.dataDir, "files")),
    events: createEventBus(database),
    accessEpoch: createAccessEpoch(database),
    expertise: createExpertiseService(database.db),
    now,
    jobs: { kick: () => undefined },
  };
}
