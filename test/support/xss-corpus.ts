/**
 * An XSS corpus: generated combinations of tags, event handlers, URL schemes, encodings and
 * Markdown tricks, plus classic payloads. Every payload tries to set window.__xss and open a dialog.
 */
export const JS = 'window.__xss=1;alert(1)';

const TAGS = [
  'img src=x',
  'svg',
  'body',
  'iframe',
  'details open',
  'video src=x',
  'audio src=x',
  'input autofocus',
  'marquee',
  'object data=x',
  'a href=#',
  'div tabindex=0',
  'math',
  'select autofocus',
  'textarea autofocus',
  'style',
  'image src=x',
];
const HANDLERS = ['onerror', 'onload', 'onfocus', 'ontoggle', 'onmouseover', 'onanimationstart'];
const SCHEMES = [
  'javascript:',
  'JaVaScRiPt:',
  'java\tscript:',
  '&#106;avascript:',
  '&#x6A;avascript:',
  'javascript&colon;',
  'jav&#x09;ascript:',
  ' javascript:',
  '\u0001javascript:',
  'vbscript:',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:text/html,<script>' + JS + '</script>',
];
const URL_CONTEXTS: ((u: string) => string)[] = [
  (u) => `[click me](${u}${JS})`,
  (u) => `![pic](${u}${JS})`,
  (u) => `<${u}${JS}>`,
  (u) => `<a href="${u}${JS}">link</a>`,
  (u) => `<iframe src="${u}${JS}"></iframe>`,
  (u) => `[ref link][1]\n\n[1]: ${u}${JS}`,
  (u) => `<form action="${u}${JS}"><button>go</button></form>`,
];
const BASES = [
  `<script>${JS}</script>`,
  `<img src=x onerror="${JS}">`,
  `<svg onload="${JS}">`,
  `<iframe srcdoc="<script>${JS}</script>"></iframe>`,
];
const ENCODINGS: ((s: string) => string)[] = [
  (s) => encodeURIComponent(s),
  (s) => s.replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  (s) => s.replace(/</g, '&amp;lt;'),
  (s) => s.replace(/</g, '\\u003c').replace(/>/g, '\\u003e'),
  (s) => s.replace(/</g, '＜').replace(/>/g, '＞'),
  (s) => s.replace('script', 'scr\u0000ipt'),
  (s) =>
    s.replace(/script|img|svg|iframe/g, (m) =>
      m
        .split('')
        .map((c, i) => (i % 2 ? c.toUpperCase() : c))
        .join(''),
    ),
  (s) => s.replace('<', '<<'),
  (s) => s.replace(/</g, '%3C').replace(/>/g, '%3E'),
  (s) => `\`${s}\` and ${s}`,
];
const MARKDOWN_TRICKS = [
  `[x](javascript:${JS} "title")`,
  `[x](<javascript:${JS}>)`,
  `[x](javascript:${encodeURIComponent(JS)})`,
  '```html\n<script>' + JS + '</script>\n```',
  `\`<img src=x onerror=${JS}>\``,
  `![x" onerror="${JS}](https://example.org/a.png)`,
  `[x](https://example.org" onmouseover="${JS})`,
  `<div>\n\n*emphasis* <img src=x onerror=${JS}>\n\n</div>`,
  `*<img src=x onerror=${JS}>*`,
  `> <script>${JS}</script>`,
  `- <svg onload=${JS}>\n- item`,
  `1. [x](javascript:${JS})`,
  `[x]( javascript:${JS})`,
  `[x](\njavascript:${JS})`,
  `<https://example.org/" onmouseover="${JS}>`,
  `**[bold link](javascript:${JS})**`,
  `[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `<details open ontoggle=${JS}>\n\n**summary**\n\n</details>`,
  `[![img](x)](javascript:${JS})`,
  `\\<script>${JS}\\</script>`,
  `[x](javas&#99;ript:${JS})`,
  `<a href="javascript&#58;${JS}">x</a>`,
  `[x](#" onclick="${JS})`,
  `<!-- --><script>${JS}</script><!-- -->`,
];
const CLASSIC = [
  `<script>${JS}</script>`,
  `"><script>${JS}</script>`,
  `'><img src=x onerror=${JS}>`,
  `<svg/onload=${JS}>`,
  `<IMG SRC="javascript:${JS};">`,
  `<IMG SRC=javascript:${JS}>`,
  `<IMG """><SCRIPT>${JS}</SCRIPT>">`,
  `<BODY ONLOAD=${JS}>`,
  `<iframe src="javascript:${JS}"></iframe>`,
  `<style>@import 'javascript:${JS}';</style>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${JS}">`,
  `<base href="javascript:${JS}//">`,
  `<object data="javascript:${JS}"></object>`,
  `<embed src="javascript:${JS}">`,
  `<form><button formaction=javascript:${JS}>x</button></form>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${JS}>`,
  `<noscript><p title="</noscript><img src=x onerror=${JS}>">`,
  `<svg><script>${JS}</script></svg>`,
  `<x onclick=${JS}>click</x>`,
  `<template><script>${JS}</script></template>`,
  `<input onfocus=${JS} autofocus>`,
  `<link rel=stylesheet href=javascript:${JS}>`,
  `<div style="background:url(javascript:${JS})">x</div>`,
  `<div style="width:expression(${JS})">x</div>`,
  `<!--<img src="--><img src=x onerror=${JS}//">`,
  `<scr<script>ipt>${JS}</scr</script>ipt>`,
  `<img src="x\`onerror=${JS}>`,
  `<svg><animate onbegin=${JS} attributeName=x dur=1s>`,
  `<a href="javascript:void(0)" onmouseover=${JS}>x</a>`,
  `<img src=1 onerror=eval(atob('d2luZG93Ll9feHNzPTE7YWxlcnQoMSk='))>`,
  `<svg><a xlink:href="javascript:${JS}"><text x="20" y="20">x</text></a></svg>`,
  `<select autofocus onfocus=${JS}></select>`,
  `<video><source onerror="${JS}"></video>`,
  `<body onpageshow=${JS}>`,
  `<marquee onstart=${JS}>x</marquee>`,
  `<isindex action=javascript:${JS} type=image>`,
  `<table background="javascript:${JS}">`,
  `<frameset onload=${JS}>`,
  `<img dynsrc="javascript:${JS}">`,
  `<xss id=x tabindex=1 onfocusin=${JS}></xss>`,
  // Bidirectional overrides around markup (a reversed tag must not turn into a real one).
  `\u202e>tpircs/<${JS}>tpircs<`,
  `\u202e<img src=x onerror=${JS}>\u202c`,
  `\u2067<svg onload=${JS}>\u2069`,
  `[\u202egnp.exe](javascript:${JS})`,
];

/** The whole corpus, without duplicates. */
export function xssCorpus(): string[] {
  const out = new Set<string>();
  for (const t of TAGS) for (const h of HANDLERS) out.add(`<${t} ${h}="${JS}">x</${t.split(' ')[0]}>`);
  for (const s of SCHEMES) for (const c of URL_CONTEXTS) out.add(c(s));
  for (const b of BASES) for (const e of ENCODINGS) out.add(e(b));
  for (const m of MARKDOWN_TRICKS) out.add(m);
  for (const c of CLASSIC) out.add(c);
  return [...out];
}
