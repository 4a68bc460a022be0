// Helpers shared by the presenters of pages: harvested data is untrusted.
export { safeHttpUrl } from "../records/safeUrl.ts";
