/** The 249 officially assigned ISO 3166-1 alpha-2 codes; Intl.DisplayNames gives their names. */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

const CODE_SET = new Set(COUNTRY_CODES);

/** True for an assigned ISO 3166-1 alpha-2 code that Intl can also name. */
export function isCountryCode(code: string): boolean {
  if (!CODE_SET.has(code)) return false;
  const name = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(code);
  return !!name;
}

const namesCache = new Map<string, { code: string; name: string }[]>();
/** Countries with their names in a language, sorted for that language (for the picker). */
export function countryOptions(lang: string): { code: string; name: string }[] {
  let list = namesCache.get(lang);
  if (!list) {
    const dn = new Intl.DisplayNames([lang, 'en'], { type: 'region' });
    const collator = new Intl.Collator(lang);
    list = COUNTRY_CODES.map((code) => ({ code, name: dn.of(code) ?? code })).sort((a, b) =>
      collator.compare(a.name, b.name),
    );
    namesCache.set(lang, list);
  }
  return list;
}

/** A country's name in a language. */
export function countryName(code: string, lang: string): string {
  return new Intl.DisplayNames([lang, 'en'], { type: 'region' }).of(code) ?? code;
}
