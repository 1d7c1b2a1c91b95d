import { decodeEntities } from '../support/html';

/**
 * The text a reader sees on a page, one line per element: no head, scripts, styles, SVG descriptions' markup,
 * attribute values (URLs, input values) or textarea contents (what a user typed); entities decoded.
 */
export function visibleText(html: string): string {
  const body = html
    .replace(/<head[\s\S]*?<\/head>/gi, '')
    .replace(/<(script|style|textarea)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]*>/g, '\n');
  return decodeEntities(body)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}
