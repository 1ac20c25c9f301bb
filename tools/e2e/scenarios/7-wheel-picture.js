// `årshjul` in the personal chat: the card opens with the wheel drawn as a wheel, an image
// the playground loads from Kompis' own /arshjul.png (PUBLIC_URL is the local server, so it
// works offline), with the alt text naming what comes next.
'use strict';

// Short, stable snippets of Kompis' texts (domain/wheel/texts.py, cards/wheel.py).
const TITLE = 'Årshjulet 2026/2027';
const ALT = 'tegnet som et hjul';

module.exports = {
  id: '7-wheel-picture',
  title: 'personlig chat: «årshjul» viser årshjulet som et bilde fra /arshjul.png',
  async run(t) {
    await t.open('Personal Chat');
    await t.say('årshjul');
    const card = await t.expectCard(TITLE);
    const image = card.locator(`img[alt*="${ALT}"]`).first();
    try {
      await image.waitFor({ state: 'visible', timeout: t.timeoutMs });
      await image.evaluate((img) => (img.complete && img.naturalWidth > 0
        ? null : new Promise((resolve, reject) => {
          img.addEventListener('load', resolve, { once: true });
          img.addEventListener('error', () => reject(new Error(`${img.src} did not load`)),
            { once: true });
        })));
    } catch (err) {
      throw new Error(`the wheel picture on the årshjul card did not load: ${err.message}`);
    }
    const { src, width } = await image.evaluate((img) => ({ src: img.src, width: img.naturalWidth }));
    if (!/^http:\/\/127\.0\.0\.1:\d+\/arshjul\.png\?dag=\d{4}-\d{2}-\d{2}$/.test(src) || width < 600) {
      throw new Error(`unexpected wheel picture ${src} (${width} px wide)`);
    }
    await image.scrollIntoViewIfNeeded();
    await t.shot('wheel-picture');
  },
};
