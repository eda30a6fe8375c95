declare module 'stopword' {
  // Each language's list is exported under its ISO 639-3 code (eng, fra, zho, ...).
  const lists: Record<string, string[] | undefined>;
  export = lists;
}
