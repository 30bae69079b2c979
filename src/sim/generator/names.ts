/**
 * Company, product and street names from Faker's word lists. Faker's templated helpers
 * (`company.name()`, `commerce.productName()`) cost 50–250 µs a call, which at thousands of
 * suppliers dominated generation; composing the same words directly is a hundred times cheaper.
 */
import type { Rng } from './rng.js';

const COMPANY_WORDS = [
  'Industries',
  'Supply',
  'Systems',
  'Solutions',
  'Manufacturing',
  'Logistics',
  'Technologies',
  'Partners',
  'Services',
  'Components',
  'Distribution',
  'Engineering',
  'Labs',
  'Office Products',
] as const;
const STREET_KINDS = ['Street', 'Avenue', 'Road', 'Way', 'Boulevard', 'Drive', 'Lane', 'Parkway'] as const;

export interface NameSource {
  company(): string;
  product(): string;
  street(): string;
  city(): string;
}

/** Name helpers over `rng`; cities come from a pool drawn once. */
export function createNameSource(rng: Rng): NameSource {
  const { faker } = rng;
  const cities = Array.from({ length: 150 }, () => faker.location.city());
  return {
    company() {
      const shape = rng.int(0, 2);
      const a = faker.person.lastName();
      if (shape === 0) return `${a} ${rng.pick(COMPANY_WORDS)}`;
      const b = faker.person.lastName();
      return shape === 1 ? `${a} & ${b}` : `${a}-${b} ${rng.pick(COMPANY_WORDS)}`;
    },
    product: () =>
      `${faker.commerce.productAdjective()} ${faker.commerce.productMaterial()} ${faker.commerce.product()}`,
    street: () => `${rng.int(1, 9999)} ${faker.person.lastName()} ${rng.pick(STREET_KINDS)}`,
    city: () => rng.pick(cities),
  };
}
