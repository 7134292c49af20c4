/** The bundle manifest: records, schema validation, and the identity digest. */
package dev.tabscore.bundle.manifest;
