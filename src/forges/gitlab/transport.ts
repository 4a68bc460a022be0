// GitLab's requests go through the transport shared with the Gitea adapter.
export { AbortScope, JsonTransport as GitLabTransport, rateLimitWaitMs, type JsonResponse } from "../jsonTransport.ts";
