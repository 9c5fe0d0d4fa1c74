import type { Config } from "./config";
import type { Database, Db } from "./db";
import type { SearchService } from "../modules/search/search.service";
import type { FileStore } from "./files";

/** Everything a request handler or service may use, built once per process. */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  search: SearchService;
  files: FileStore;
  /** The clock, passed in so rules can be tested at any time. */
  now: () => Date;
};
