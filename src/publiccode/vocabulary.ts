// The closed vocabularies of publiccode.yml, as the reference validator
// (italia/publiccode-parser-go) accepts them for the "0" line: the lists of the
// standard (docs/standard/categories-list.rst, scope-list.rst, aliases-list.rst)
// plus the categories the reference added since 0.7.0 (design-system,
// digital-citizenship, whistleblowing...). Kept as sets: they are looked up per value.

/** Versions the reference accepts; every other value of publiccodeYmlVersion is an error. */
export const supportedVersions: readonly string[] = [
  "0",
  "0.2", "0.2.0", "0.2.1", "0.2.2",
  "0.3", "0.3.0",
  "0.4", "0.4.0",
  "0.5", "0.5.0",
  "0.7", "0.7.0",
];

export const developmentStatuses = ["concept", "development", "beta", "stable", "obsolete"] as const;

export const softwareTypes = [
  "standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web", "standalone/backend",
  "standalone/other", "addon", "library", "configurationFiles",
] as const;

export const maintenanceTypes = ["internal", "contract", "community", "none"] as const;

/** IT.countryExtensionVersion */
export const italianExtensionVersions = ["0.2", "1.0"] as const;

export const categories: ReadonlySet<string> = new Set([
  "accounting", "agile-project-management", "applicant-tracking", "application-development",
  "appointment-scheduling", "backup", "billing-and-invoicing", "blog", "budgeting", "business-intelligence",
  "business-process-management", "cad", "call-center-management", "cloud-management", "collaboration",
  "communications", "compliance-management", "contact-management", "content-management", "crm",
  "customer-service-and-support", "data-analytics", "data-collection", "data-visualization", "design",
  "design-system", "digital-asset-management", "digital-citizenship", "document-management",
  "donor-management", "e-commerce", "e-signature", "educational-content", "email-management",
  "email-marketing", "employee-management", "enterprise-project-management", "enterprise-social-networking",
  "erp", "event-management", "facility-management", "feedback-and-reviews-management", "financial-reporting",
  "fleet-management", "fundraising", "gamification", "geographic-information-systems", "grant-management",
  "graphic-design", "help-desk", "hr", "ide", "identity-management", "instant-messaging",
  "integrated-library-system", "inventory-management", "it-asset-management", "it-development",
  "it-management", "it-security", "it-service-management", "knowledge-management",
  "learning-management-system", "marketing", "mind-mapping", "mobile-marketing", "mobile-payment",
  "network-management", "office", "online-booking", "online-community", "payment-gateway", "payroll",
  "predictive-analysis", "procurement", "productivity-suite", "project-collaboration", "project-management",
  "property-management", "real-estate-management", "regulations-and-directives", "remote-support",
  "resource-management", "sales-management", "seo", "service-desk", "social-media-management", "survey",
  "talent-management", "task-management", "taxes-management", "test-management", "time-management",
  "time-tracking", "translation", "video-conferencing", "video-editing", "visitor-management", "voip",
  "warehouse-management", "web-collaboration", "web-conferencing", "whistleblowing", "website-builder",
  "workflow-management", "other",
]);

export const scopes: ReadonlySet<string> = new Set([
  "agriculture", "culture", "defence", "education", "emergency-services", "employment", "energy",
  "environment", "finance-and-economic-development", "foreign-affairs", "government", "healthcare",
  "infrastructures", "justice", "local-authorities", "manufacturing", "research", "science-and-technology",
  "security", "society", "sport", "tourism", "transportation", "welfare",
]);

/** supports[].id may be `alias:<one of these>` (aliases-list.rst). */
export const supportsAliases: ReadonlySet<string> = new Set([
  "gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io",
]);
