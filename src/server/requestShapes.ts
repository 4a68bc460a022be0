// The request and response objects the HTTP server makes (issue 13, the fixed
// cost of a request): born with the prototypes Express gives them and with the
// fields the middleware adds, so that V8 keeps one hidden class for each
// through the whole middleware.
//
// Profiled with perf in the production server (a fresh API search at 7,700
// repositories), V8's inline-cache misses, property-array growth and slow
// stores took about a tenth of a web worker's CPU: every request and every
// response had a hidden class of its own. Two things made them:
// - Express's app.handle sets the prototype of both objects to the app's
//   (Object.setPrototypeOf(req, app.request)) on every request. V8 caches that
//   transition, but not the transitions of the object it made: every property
//   added afterwards gave that one object a new hidden class, unknown to every
//   inline cache after it (the router's next(), Node's own ServerResponse
//   code), which then missed V8's stub cache on every access.
// - The middleware adds a dozen properties (req.res, req.next, req.baseUrl,
//   req.originalUrl, req._parsedUrl, req.params, req.route, req.id, req.log,
//   req.rateLimit; res.locals, res.log...), each moving the object on.
// requestClasses(app) makes classes whose prototypes inherit the app's and
// then take their place (app.request, app.response): Express's swap finds the
// prototype already in place and changes nothing. The fields are declared in
// the constructors and written in place afterwards. (What code we cannot name
// here adds, symbols private to a library, still follows V8's cached
// transitions: the object was never swapped.)
//
// Only plain data fields that the middleware assigns are declared, with the
// value a reader saw before (undefined, or Node's prototype default): never a
// name that Express defines as a getter or a method on its prototypes
// (req.query, req.ip, res.send...), which an own field would hide.
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

export interface RequestClasses {
  IncomingMessage: typeof http.IncomingMessage;
  ServerResponse: typeof http.ServerResponse;
}

/** An Express application: the prototypes it gives every request and response. */
interface ExpressPrototypes {
  request: object;
  response: object;
}

/** Node's type makes ServerResponse generic in its request; these classes answer any IncomingMessage. */
const asServerResponse = (responseClass: typeof ShapedResponse) => responseClass as unknown as typeof http.ServerResponse;

const made = new WeakMap<object, RequestClasses>();

/**
 * The classes of the requests and responses to make for `listener`: for an
 * Express app, subclasses of ShapedRequest and ShapedResponse that inherit the
 * app's prototypes and become them (app.request, app.response), once per app;
 * for any other listener, ShapedRequest and ShapedResponse.
 */
export function requestClasses(listener: object): RequestClasses {
  const app = listener as Partial<ExpressPrototypes>;
  if (typeof app.request !== "object" || app.request === null || typeof app.response !== "object" || app.response === null) {
    return { IncomingMessage: ShapedRequest, ServerResponse: asServerResponse(ShapedResponse) };
  }
  let classes = made.get(listener);
  if (!classes) {
    class AppRequest extends ShapedRequest {}
    class AppResponse extends ShapedResponse {}
    // The app's own prototypes stay in the chain (req.app, Express's getters and methods, what the app added).
    Object.setPrototypeOf(AppRequest.prototype, app.request);
    Object.setPrototypeOf(AppResponse.prototype, app.response);
    app.request = AppRequest.prototype;
    app.response = AppResponse.prototype;
    classes = { IncomingMessage: AppRequest, ServerResponse: asServerResponse(AppResponse) };
    made.set(listener, classes);
  }
  return classes;
}
