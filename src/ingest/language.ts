/**
 * Which language a document is written in, by counting frequent function words and invoice
 * vocabulary. The extractor's labels are English; a German or French invoice is refused with a
 * clear reason instead of being half-read into wrong fields.
 */

const WORDS: Readonly<Record<string, readonly string[]>> = {
  English: ['the', 'and', 'of', 'to', 'for', 'invoice', 'date', 'due', 'total', 'amount', 'quantity', 'price', 'description', 'tax', 'bill', 'payment', 'number', 'order', 'please', 'subtotal', 'terms', 'remit', 'account'],
  German: ['der', 'die', 'das', 'und', 'mit', 'für', 'rechnung', 'rechnungsnummer', 'rechnungsdatum', 'datum', 'betrag', 'gesamtbetrag', 'menge', 'preis', 'einzelpreis', 'bestellnummer', 'zahlbar', 'mwst', 'nettobetrag', 'bitte', 'bis', 'zahlung', 'fällig', 'summe', 'gesamt', 'beschreibung', 'bezeichnung', 'steuernummer'],
  French: ['le', 'la', 'les', 'et', 'des', 'du', 'pour', 'facture', 'montant', 'quantité', 'prix', 'date', 'échéance', 'total', 'tva', 'commande', 'paiement', 'numéro', 'désignation', 'veuillez', 'unitaire', 'ht', 'ttc'],
  Spanish: ['el', 'la', 'los', 'y', 'de', 'para', 'factura', 'importe', 'cantidad', 'precio', 'fecha', 'vencimiento', 'pedido', 'pago', 'número', 'descripción', 'iva', 'unitario'],
  Dutch: ['de', 'het', 'en', 'van', 'voor', 'factuur', 'factuurnummer', 'bedrag', 'aantal', 'prijs', 'datum', 'vervaldatum', 'bestelling', 'betaling', 'omschrijving', 'btw', 'totaal'],
};

export interface LanguageGuess {
  language: string;
  /** Share of counted words that belong to `language`. */
  share: number;
  counted: number;
}

/** The most likely language of `text`; `English` when too few known words decide it. */
export function guessLanguage(text: string): LanguageGuess {
  const tokens = text.toLowerCase().normalize('NFC').split(/[^\p{L}]+/u).filter(Boolean);
  const counts = new Map<string, number>();
  for (const [language, words] of Object.entries(WORDS)) {
    const set = new Set(words);
    counts.set(language, tokens.filter((t) => set.has(t)).length);
  }
  const counted = [...counts.values()].reduce((a, b) => a + b, 0);
  const [language, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['English', 0];
  if (counted < 5) return { language: 'English', share: 0, counted };
  return { language, share: n / counted, counted };
}
