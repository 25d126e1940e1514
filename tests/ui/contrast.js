// Measured in the page by tests/ui/test_ui_real_use.py: the WCAG contrast ratio of each selector's text
// against its effective background (ancestor backgrounds composited), the worst element per selector.
(selectors) => {
  function parse(c) {
    const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  }
  function over(top, bottom) {  // composite top over an opaque bottom
    const a = top.a;
    return {r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1};
  }
  function bg(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let base = {r: 255, g: 255, b: 255, a: 1};
    if (layers.length && layers[layers.length - 1].a >= 1) base = layers.pop();
    for (let i = layers.length - 1; i >= 0; i--) base = over(layers[i], base);
    return base;
  }
  function lum(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  const out = {};
  for (const [name, sel, pseudo] of selectors) {
    const els = Array.from(document.querySelectorAll(sel)).filter(e => e.getClientRects().length);
    if (!els.length) { out[name] = null; continue; }
    let worst = null;
    for (const el of els.slice(0, 30)) {
      const st = getComputedStyle(el, pseudo || null);
      let fg = parse(st.color); const b = bg(el);
      if (fg.a < 1) fg = over(fg, b);
      const l1 = lum(fg), l2 = lum(b);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      if (worst === null || ratio < worst.ratio) worst = {ratio: Math.round(ratio * 100) / 100, fg: st.color, bg: `rgb(${b.r|0},${b.g|0},${b.b|0})`};
    }
    out[name] = worst;
  }
  return out;
}
