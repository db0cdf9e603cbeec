/** `## heading` sections of a markdown document, so benches that share one file rewrite only their own part. */

/** The section starting at `## heading` up to the next `## ` (or the end), or '' when absent. */
export function extractSection(doc: string, heading: string): string {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start < 0) return '';
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start + 1, next >= 0 ? next + 1 : undefined);
}

/** `doc` with the section replaced by `section` (appended when the document has none). */
export function replaceSection(doc: string, heading: string, section: string): string {
  const old = extractSection(doc, heading);
  if (!old) return `${doc.trimEnd()}\n\n${section.trimEnd()}\n`;
  return doc.replace(old, `${section.trimEnd()}\n${old.endsWith('\n\n') ? '\n' : ''}`);
}
