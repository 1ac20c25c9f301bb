// A person in a partnership fills in the whole needs report in a personal chat: the header
// form, two measures (each in two steps: what and who, then money, period and criteria),
// an edit of the first (both steps prefilled), the review, submit, confirm, the receipt.
// Every field is found by its label and filled through the real inputs (choice sets, date
// pickers, toggles); the playground refuses a press while an isRequired input is empty.
'use strict';

const { check } = require('../lib/chat');

// Labels, buttons and card texts are Kompis' own (domain/needs/texts.py); options are the
// names in content/ordninger.yaml, content/nettverk.yaml and content/uh.yaml.
const HEADER_INTRO = 'Først litt om partnerskapet';
// 2026/2027 has one scheme (KKU): the form shows it with what it covers, nothing to choose.
const HEADER = {
  'Kompetansenettverk': 'Fosen',
  'Partnerskapets navn': 'Fosen skoler',
  'Eiere som deltar': 'Åfjord kommune, Ørland kommune',
  'UH-partner': 'Norges teknisk-naturvitenskapelige universitet',
  'Kontaktperson': 'Kari Nordmann',
  'E-post til kontaktperson': 'kari@fosen.example.no',
};
// Every field of the measure form; the period lies inside the cycle (2027–2029). Step 1
// asks for the fields up to «Samiske perspektiver», step 2 for the rest.
const FIRST = {
  'Tittel': 'Lesing på tvers',
  'Behov tiltaket svarer på': 'Lesing må styrkes på mellomtrinnet.',
  'Hvordan behovet ble funnet': 'Nasjonale prøver og samtaler med lærerne.',
  // The fields the measure covers: a multi-select, each field a check box by its title.
  'Skole': true,
  'Personalgrupper': 'Lærere og skoleledere',
  'Enheter og eiere som deltar': 'Alle skolene i Åfjord og Ørland',
  'UH-partnerens rolle': 'NTNU veileder lærerteamene og tar erfaringene med til lærerutdanningen.',
  'Inkluderende prosesser og medbestemmelse': 'Tillitsvalgte og PPT var med i kartleggingen.',
  'Samiske perspektiver (oppfordres, ikke påkrevd)': 'Ikke aktuelt fordi ingen av skolene har samiske elever; vurdert med eierne.',
  'Tiltaket er tverrfaglig': false,
  'Tiltaket videreføres fra tidligere år': false,
  'Periode fra': '2027-01-04',
  'Periode til': '2027-12-17',
  'Beløp (kr)': '300 000',
};
const SECOND = {
  ...FIRST,
  'Tittel': 'Inkluderende læringsmiljø',
  'Behov tiltaket svarer på': 'Flere elever trenger tilpasset opplæring i klassen.',
  'Barnehage': true,
  'PPT og andre tjenester rundt barna': true,
  'Tiltaket er tverrfaglig': true,
  'Hvordan tverrfaglig': 'Lærere, PPT og helsesykepleiere planlegger sammen.',
  'Tiltaket videreføres fra tidligere år': true,
  'Periode fra': '2027-08-16',
  'Periode til': '2028-06-20',
  'Beløp (kr)': '450 000',
};
const STEP2 = ['Tiltaket er tverrfaglig', 'Hvordan tverrfaglig',
  'Tiltaket videreføres fra tidligere år', 'Periode fra', 'Periode til', 'Beløp (kr)'];
const step = (fields, two) => Object.fromEntries(Object.entries(fields)
  .filter(([label]) => STEP2.includes(label) === two));
const EDITED = { 'Tittel': 'Lesing på tvers 2.0', 'Beløp (kr)': '350 000' };
// A reference number as domain/needs/models.py makes it: cycle year, network, scheme, number.
const REFERENCE = /BM-\d{4}-FOS-KKU-\d{4}/;

module.exports = {
  id: '3-needs-report',
  title: 'personlig chat: hele behovsmeldingen, skjema, to tiltak, endring, innsending, kvittering',
  async run(t) {
    await t.open('Personal Chat');
    await t.say('meld behov');
    // Every later card replaces the pressed one (Action.Execute), so they are expected
    // in place, each by a text the card before it does not have.
    const header = await t.expectCard(HEADER_INTRO);
    await t.shot('header-form');
    await t.fill(header, HEADER);
    await t.shot('header-filled');

    await t.press(header, 'Lagre og gå videre');
    let review = await t.expectCard('0 av 5 tiltak brukt', { inPlace: true });
    check((await t.text(review)).includes('Fosen skoler'), 'the review lacks the partnership');
    await t.shot('review-empty');

    await t.press(review, 'Legg til tiltak');
    let form = await t.expectCard('Steg 1 av 2', { inPlace: true });
    check((await t.text(form)).includes('Tiltak 1'), 'step 1 does not say «Tiltak 1»');
    // The top of step 1 (the card is taller than the chat), then the filled bottom.
    await form.evaluate((card) => card.scrollIntoView({ block: 'start' }));
    await t.shot('measure-1-step-1');
    await t.fill(form, step(FIRST, false));
    await t.shot('measure-1-step-1-filled');
    await t.press(form, 'Neste');
    form = await t.expectCard('Steg 2 av 2', { inPlace: true });
    check((await t.text(form)).includes(FIRST['Tittel']), 'step 2 does not show step 1\'s title');
    await t.fill(form, step(FIRST, true));
    await t.shot('measure-1-step-2');
    await t.press(form, 'Lagre tiltaket');
    review = await t.expectCard('1 av 5 tiltak brukt', { inPlace: true });
    await t.shot('review-1-measure');

    await t.press(review, 'Legg til tiltak');
    form = await t.expectCard('Tiltak 2', { inPlace: true });
    await t.fill(form, step(SECOND, false));
    await t.press(form, 'Neste');
    form = await t.expectCard('Steg 2 av 2', { inPlace: true });
    await t.fill(form, step(SECOND, true));
    await t.shot('measure-2-step-2');
    await t.press(form, 'Lagre tiltaket');
    review = await t.expectCard('2 av 5 tiltak brukt', { inPlace: true });
    check((await t.text(review)).includes('750 000 kr'), 'the review does not sum 300 000 + 450 000');
    await t.shot('review-2-measures');

    // Both steps of the edit show what was stored for the first measure.
    await t.press(review, 'Endre', { within: FIRST['Tittel'] });
    form = await t.expectCard('Endre tiltak', { inPlace: true });
    // (The amount comes back as typed, with spaces between thousands.)
    const stored = { ...FIRST, 'Periode fra': '4. januar 2027',
      'Periode til': '17. desember 2027' };
    const shows = async (card, labels) => {
      for (const label of labels) {
        const shown = await t.value(card, label);
        check(shown === stored[label], `the edit form shows ${label} ${JSON.stringify(shown)}`);
      }
    };
    await shows(form, ['Tittel', 'Skole', 'Samiske perspektiver (oppfordres, ikke påkrevd)']);
    await t.shot('edit-step-1');
    await t.fill(form, step(EDITED, false));
    await t.press(form, 'Neste');
    form = await t.expectCard('Steg 2 av 2', { inPlace: true });
    await shows(form, ['Periode fra', 'Periode til', 'Beløp (kr)']);
    await t.shot('edit-step-2');
    await t.fill(form, step(EDITED, true));
    await t.press(form, 'Lagre tiltaket');
    // (Step 2 shows the new title too: wait for what only the review says.)
    review = await t.expectCard('2 av 5 tiltak brukt', { inPlace: true });
    const edited = await t.text(review);
    check(edited.includes('Lesing på tvers 2.0') && edited.includes('800 000 kr'),
      `the edited review is not 2 measures, 800 000 kr: ${edited.slice(0, 300)}`);
    await t.shot('review-edited');

    await t.press(review, 'Send inn');
    const confirm = await t.expectCard('Send inn behovsmeldingen for KKU, 2 tiltak?', { inPlace: true });
    await t.shot('confirm');
    await t.press(confirm, 'Send inn');
    const receipt = await t.expectCard('Kvittering: behovsmeldingen er sendt inn', { inPlace: true });
    const said = await t.text(receipt);
    const reference = REFERENCE.exec(said);
    check(reference, `the receipt has no reference number like BM-2026-FOS-KKU-0001: ${said}`);
    check(said.includes('Lesing på tvers 2.0') && said.includes('Inkluderende læringsmiljø'),
      `the receipt does not list both measures: ${said}`);
    t.log(`    receipt ${reference[0]}`);
    await t.shot('receipt');
  },
};
