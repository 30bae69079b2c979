/**
 * A seeded random source for the generator: a dedicated Faker instance (its own Mersenne Twister,
 * never the shared `faker` singleton) plus the few draws the generator needs. The same seed gives
 * the same sequence of draws, hence byte-identical output.
 */
import { Faker, base, en } from '@faker-js/faker';

export interface Rng {
  /** Names, addresses, bank numbers: Faker modules, seeded. */
  readonly faker: Faker;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Pick by weight; weights need not sum to 1. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T;
  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[];
}

/** A new random source; two calls with one seed produce identical sequences. */
export function createRng(seed: number): Rng {
  const faker = new Faker({ locale: [en, base], seed });
  const next = (): number => faker.number.float({ min: 0, max: 1 });
  const int = (min: number, max: number): number => faker.number.int({ min, max });
  return {
    faker,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(0, items.length - 1)] as T;
    },
    weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
      const total = choices.reduce((sum, [, w]) => sum + w, 0);
      let roll = next() * total;
      for (const [value, weight] of choices) {
        roll -= weight;
        if (roll < 0) return value;
      }
      const last = choices[choices.length - 1];
      if (!last) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(0, i);
        const tmp = items[i] as T;
        items[i] = items[j] as T;
        items[j] = tmp;
      }
      return items;
    },
  };
}
