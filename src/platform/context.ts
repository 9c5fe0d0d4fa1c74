import type { Config } from "./config";
import type { Database, Db } from "./db";
import type { SearchService } from "../modules/search/search.service";
import type { FileStore } from "./files";
import type { EventBus } from "./events";
import type { ExpertiseService } from "../modules/expertise/expertise.service";

/** Everything a request handler or service may use, built once per process. */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  search: SearchService;
  files: FileStore;
  /** Real-time events (in-process on PGlite, LISTEN/NOTIFY across instances on PostgreSQL). */
  events: EventBus;
  expertise: ExpertiseService;
  /** The clock, passed in so rules can be tested at any time. */
  now: () => Date;
};
