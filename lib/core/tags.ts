/**
 * AWS tag rules, checked for every construct that tags resources. "Tagging AWS resources"
 * (AWS General Reference): at most 50 tags per resource, keys 1-128 and values 0-256 Unicode
 * characters, the `aws:` prefix reserved. The provider's `default_tags` count too: a resource's
 * `tags_all` is the union of both, and that is what AWS limits.
 */
import { jsonPathKey, Violations } from "./errors";

/** Tags AWS accepts on one resource. */
export const AWS_MAX_TAGS_PER_RESOURCE = 50;
/**
 * Tags this library adds to a resource at most (Environment, Layout, ManagedBy, Fleet or
 * Router, Name, Canary or Route/RuleKind/Purpose), with room to spare for new ones.
 */
export const LIBRARY_TAG_ALLOWANCE = 10;
/** Tags a user may give one resource: AWS's limit less what the library adds. */
export const USER_MAX_TAGS = AWS_MAX_TAGS_PER_RESOURCE - LIBRARY_TAG_ALLOWANCE;
export const TAG_KEY_MAX_CHARS = 128;
export const TAG_VALUE_MAX_CHARS = 256;

/** Unicode characters, as AWS counts them (not UTF-16 code units). */
function chars(text: string): number {
  return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

/**
 * Checks a tag map. `field` names the map (e.g. `production.json: tags`); each key's problems
 * are reported at `<field>.<key>`.
 */
export function checkTags(v: Violations, field: (relative: string) => string, tags: Readonly<Record<string, string>> | undefined): void {
  if (tags === undefined) return;
  const keys = Object.keys(tags);
  v.check(
    keys.length <= USER_MAX_TAGS,
    field("tags"),
    `${keys.length} tags`,
    `is more than ${USER_MAX_TAGS}: AWS allows ${AWS_MAX_TAGS_PER_RESOURCE} tags per resource (default tags included) and this library adds up to ${LIBRARY_TAG_ALLOWANCE} of its own`,
    `keep at most ${USER_MAX_TAGS} tags; put the rest in one tag, or in a tag policy`,
  );
  for (const key of keys) {
    const value = tags[key];
    const at = field(`tags${jsonPathKey(key)}`);
    v.check(
      key.length >= 1 && chars(key) <= TAG_KEY_MAX_CHARS && !key.toLowerCase().startsWith("aws:"),
      at,
      key,
      `tag keys must be 1-${TAG_KEY_MAX_CHARS} characters and not start with "aws:" (reserved by AWS)`,
      "rename the tag",
    );
    if (typeof value !== "string") {
      v.add(at, value, "tag values must be strings", 'quote the value, e.g. "42"');
      continue;
    }
    v.check(
      chars(value) <= TAG_VALUE_MAX_CHARS,
      at,
      value,
      `tag values must be at most ${TAG_VALUE_MAX_CHARS} characters`,
      "shorten the value",
    );
  }
}
