/**
 * EU VAT numbers whose check digits can be verified: French (key from the SIREN), German
 * (ISO 7064 mod 11,10), Belgian (mod 97), Italian (Luhn) and Spanish (NIF/CIF control). A number
 * printed without a label — a footer, a margin, under the name — counts only when it checks out.
 */

const digits = (s: string): number[] => [...s].map(Number);

function french(key: string, siren: string): boolean {
  return /^\d{2}$/.test(key) && Number(key) === (12 + 3 * (Number(siren) % 97)) % 97;
}

function german(nine: string): boolean {
  let product = 10;
  for (const d of digits(nine.slice(0, 8))) {
    let sum = (d + product) % 10;
    if (sum === 0) sum = 10;
    product = (2 * sum) % 11;
  }
  const check = 11 - product === 10 ? 0 : 11 - product;
  return check === Number(nine[8]);
}

const belgian = (ten: string): boolean => 97 - (Number(ten.slice(0, 8)) % 97) === Number(ten.slice(8));

function italian(eleven: string): boolean {
  const d = digits(eleven);
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += i % 2 === 0 ? d[i]! : d[i]! * 2 > 9 ? d[i]! * 2 - 9 : d[i]! * 2;
  return (10 - (sum % 10)) % 10 === d[10];
}

function spanish(id: string): boolean {
  if (/^\d{8}[A-Z]$/.test(id)) return 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(id.slice(0, 8)) % 23] === id[8];
  if (!/^[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]$/.test(id)) return false;
  const d = digits(id.slice(1, 8));
  let sum = 0;
  d.forEach((n, i) => { sum += i % 2 === 1 ? n : Math.floor((2 * n) / 10) + ((2 * n) % 10); });
  const control = (10 - (sum % 10)) % 10;
  return id[8] === String(control) || id[8] === 'JABCDEFGHI'[control];
}

/** Verified VAT ids in `text`, as printed without spaces ("FR74397480930"; Spanish ones also without "ES"). */
export function checkedVatIds(text: string): string[] {
  const out = new Set<string>();
  const t = text.toUpperCase();
  for (const m of t.matchAll(/\bFR\s?([0-9A-Z]{2})\s?(\d{3})\s?(\d{3})\s?(\d{3})\b/g)) if (french(m[1]!, m[2]! + m[3]! + m[4]!)) out.add(`FR${m[1]}${m[2]}${m[3]}${m[4]}`);
  for (const m of t.matchAll(/\bDE\s?(\d{3})\s?(\d{3})\s?(\d{3})\b/g)) if (german(m[1]! + m[2]! + m[3]!)) out.add(`DE${m[1]}${m[2]}${m[3]}`);
  for (const m of t.matchAll(/\bBE\s?(0\d{3})[\s.]?(\d{3})[\s.]?(\d{3})\b/g)) if (belgian(m[1]! + m[2]! + m[3]!)) out.add(`BE${m[1]}${m[2]}${m[3]}`);
  for (const m of t.matchAll(/\bIT\s?(\d{11})\b/g)) if (italian(m[1]!)) out.add(`IT${m[1]}`);
  for (const m of t.matchAll(/\b(?:ES\s?)?([A-HJNP-SUVW]\d{7}[0-9A-J]|\d{8}[A-Z])\b/g)) if (spanish(m[1]!)) out.add(m[0].replace(/\s/g, ''));
  return [...out];
}
