// Is the store answering? For /readyz: a locked or vanished file shows here first.
import type { Db } from "./database.ts";

export function storeAnswers(db: Db): boolean {
  try {
    db.$client.prepare("SELECT 1").get();
    return true;
  } catch {
    return false;
  }
}
