// Builds the web application from its dependencies; listening is the caller's business
// (tests mount it on an ephemeral port, src/bin/serve.ts on PORT).
import path from "node:path";
import express from "express";
import type { Db } from "../store/database.ts";
import { errorHandler, notFound } from "./errors.ts";
import { createViews } from "./views.ts";
import { homeRoutes } from "./routes/home.ts";

export interface AppDeps {
  db: Db;
  /** Project root: views/ and static/ are found below it. */
  rootDir: string;
  log?: (message: string) => void;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const views = createViews(path.join(deps.rootDir, "views"));
  app.engine("hbs", views.engine);
  app.set("views", path.join(deps.rootDir, "views", "pages"));
  app.set("view engine", "hbs");
  app.set("x-powered-by", false);
  app.set("trust proxy", "loopback");
  app.set("query parser", "simple");

  app.use("/static", express.static(path.join(deps.rootDir, "static"), { maxAge: "1y", immutable: true }));
  app.use(homeRoutes(deps));
  app.use(notFound);
  app.use(errorHandler(deps.log ?? ((message) => console.error(message))));
  return app;
}
