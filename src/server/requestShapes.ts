// The request and response objects the HTTP server makes, with the fields
// that the middleware of every request adds declared at birth (issue 13, the
// fixed cost of a request).
//
// Express, its router, pino-http and express-rate-limit each add properties to
// req and res as a request goes through them (req.res, req.next, req.baseUrl,
// req.originalUrl, req._parsedUrl, req.params, req.id, req.log, req.rateLimit,
// req.route; res.locals, res.log, res.statusCode...). In V8 every added
// property moves the object to another hidden class, and the router's
// generic code (next(), handle) meets req at a dozen of them: its property
// accesses go megamorphic and miss V8's stub cache. Profiled in the production
// server (perf, a fresh API search at 7,700 repositories), inline-cache misses,
// property-array growth and slow keyed stores took about a tenth of a web
// worker's CPU. Declared at birth, the fields are written in place: one hidden
// class from the first middleware to the answer.
//
// Only plain data fields that the middleware assigns are declared, with the
// value a reader would have seen before (undefined, or the prototype's
// default): never a name that Express defines as a getter or a method on its
// request or response prototype (req.query, req.ip, res.send...), which an own
// field would hide. Express replaces the prototype of both objects with its
// own at the first layer; the fields stay, and these classes add no methods.
import http from "node:http";
import type { Socket } from "node:net";

export class ShapedRequest extends http.IncomingMessage {
  constructor(socket: Socket) {
    super(socket);
    // Assigned one by one (named stores, the same order for every request): typed loosely, as
    // pino-http and Express declare these fields on IncomingMessage with types of their own.
    const fields = this as unknown as Record<string, unknown>;
    // Express (app.handle, the router)
    fields.res = undefined;
    fields.next = undefined;
    fields.baseUrl = undefined;
    fields.originalUrl = undefined;
    fields.params = undefined;
    fields.route = undefined;
    // parseurl's cache of the parsed URL (read back with a check that undefined passes).
    fields._parsedUrl = undefined;
    // pino-http (req.id || genReqId(), !req.log, !req.allLogs)
    fields.id = undefined;
    fields.log = undefined;
    fields.allLogs = undefined;
    // express-rate-limit (its requestPropertyName)
    fields.rateLimit = undefined;
    // EventEmitter's listener count: the prototype's 0 until a listener is added; the same value, as an own field.
    fields._eventsCount = 0;
  }
}

export class ShapedResponse extends http.ServerResponse {
  constructor(req: http.IncomingMessage) {
    super(req);
    const fields = this as unknown as Record<string, unknown>;
    // Express (res.locals ||= ...)
    fields.locals = undefined;
    // pino-http
    fields.log = undefined;
    fields.allLogs = undefined;
    // Node keeps these on the prototype (200, undefined) until writeHead sets them: the same values, as own fields.
    fields.statusCode = 200;
    fields.statusMessage = undefined;
  }
}
