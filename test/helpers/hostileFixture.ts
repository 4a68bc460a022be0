// Harvested data written by an attacker: markup, event handlers and script
// URLs in every field a forge lets its users fill. Pages must show it as text.
import type { Db } from "../../src/store/database.ts";
import { seedOwner, seedRun } from "./catalogueFixture.ts";

/** Each payload, if it ever ran, would set window.__pwned or open a dialog. */
export const payloads = {
  script: "<script>window.__pwned=1;alert(1)</script>",
  img: '<img src=x onerror="window.__pwned=1;alert(2)">',
  attribute: '" onmouseover="window.__pwned=1" autofocus onfocus="window.__pwned=1" x="',
  svg: "<svg/onload=window.__pwned=1>",
  javascriptUrl: "javascript:window.__pwned=1;alert(3)",
  mixedCaseUrl: " JaVaScRiPt:window.__pwned=1",
  dataUrl: "data:text/html,<script>parent.__pwned=1</script>",
  template: "{{constructor.constructor('window.__pwned=1')()}}",
} as const;

export const hostileLogin = "h4ck<b>";
export const hostileRepository = `${payloads.script}x`;

export function seedHostileCatalogue(db: Db): void {
  seedOwner(db, {
    host: "github.com",
    login: hostileLogin,
    owner: {
      name: payloads.script,
      description: payloads.img,
      website: payloads.javascriptUrl,
      location: payloads.attribute,
    },
    psoId: "11111111-2222-4333-8444-555555555555",
    flossPolicy: payloads.dataUrl,
    repositories: [
      {
        name: hostileRepository,
        fullName: `${hostileLogin}/${hostileRepository}`,
        url: payloads.javascriptUrl,
        description: `${payloads.img} ${payloads.template}`,
        homepage: payloads.mixedCaseUrl,
        language: payloads.svg,
        license: payloads.attribute,
        topics: [payloads.attribute, payloads.javascriptUrl, payloads.script],
        defaultBranch: payloads.script,
        stars: 10,
        forks: 5,
      },
      {
        name: "plain",
        description: payloads.svg,
        homepage: payloads.dataUrl,
        language: "Python",
        license: "MIT",
        topics: [payloads.attribute],
        stars: 1,
        forks: 1,
      },
    ],
  });
  seedRun(db, {
    status: "partial",
    startedAt: "2025-06-14T03:17:00Z",
    finishedAt: "2025-06-14T03:18:00Z",
    results: [
      { host: "github.com", login: hostileLogin, status: "ok", repositories: 2 },
      { host: "github.com", login: payloads.img, status: "failed", reason: payloads.script, message: payloads.svg },
    ],
  });
}
