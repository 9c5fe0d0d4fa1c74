import path from "node:path";
import type { Config } from "./config";
import type { Database } from "./db";
import type { AppContext } from "./context";
import { createFileStore } from "./files";
import { createSearchService } from "../modules/search/search.service";
import { createExpertiseService } from "../modules/expertise/expertise.service";
import { createEventBus } from "./events";

/** Wires the process-wide services for a database. */
export function createContext(config: Config, database: Database, now: () => Date = () => new Date()): AppContext {
  return {
    config,
    database,
    db: database.db,
    search: createSearchService(database.db, now),
    files: createFileStore(path.join(config.dataDir, "files")),
    events: createEventBus(database),
    expertise: createExpertiseService(database.db),
    now,
  };
}
