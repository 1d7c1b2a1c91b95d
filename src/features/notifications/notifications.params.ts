/** What a notice shows (its `params` column): codes, titles and dates, never a citizen's personal data. */
export type NoticeParams = Record<string, string | number | null>;

/** The params stored as JSON, or none when the text is not a JSON object. */
export function paramsOf(json: string): NoticeParams {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as NoticeParams) : {};
  } catch {
    return {};
  }
}

/** The record a notice is about, as its lines name it: "code — title", either alone, or empty. */
export function recordOf(params: NoticeParams): string {
  return [params.code, params.title].filter((x) => x !== null && x !== undefined && x !== '').join(' — ');
}
