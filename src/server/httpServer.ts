// The HTTP server around the app, with the limits a public service needs
// against slow or greedy clients (issue 13).
import { once } from "node:events";
import http from "node:http";
import type { RequestListener } from "node:http";
import { handleClientErrors } from "../web/clientErrors.ts";
import { requestClasses } from "./requestShapes.ts";

export interface HttpLimits {
  /** Longest time to receive a whole request, in milliseconds (slowloris). */
  requestTimeoutMs: number;
  /** Longest time to receive the request's headers, in milliseconds. */
  headersTimeoutMs: number;
}

/** Request headers larger than this get 431 from Node itself (its default too, made explicit). */
export const maxHeaderBytes = 16 * 1024;
/** An idle keep-alive connection is closed after this, in milliseconds; above the usual proxy's 60 s would keep sockets for nothing. */
const keepAliveTimeoutMs = 5_000;

export async function listen(app: RequestListener, port: number, host: string, limits: HttpLimits): Promise<http.Server> {
  const server = http.createServer(
    {
      maxHeaderSize: maxHeaderBytes,
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // Born with the app's prototypes and the middleware's fields: one hidden class each (requestShapes.ts).
      ...requestClasses(app),
    },
    app,
  );
  // Parser errors (431 for an over-long address) answer in the API's JSON shape or as a page (issue 14).
  handleClientErrors(server);
  server.listen(port, host);
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([error]) => {
      throw error;
    }),
  ]);
  return server;
}
