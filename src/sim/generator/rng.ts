/**
 * A seeded random source for the generator: a dedicated Faker instance (its own Mersenne Twister,
 * never the shared `faker` singleton) plus the few draws the generator needs. The same seed gives
 * the same sequence of draws, hence byte-identical output.
 */
import { Faker, base, en, generateMersenne53Randomizer } from '@faker-js/faker';

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
  // One Mersenne Twister feeds both Faker and the plain draws below; drawing straight from it
  // skips Faker's per-call argument handling, which showed at millions of draws.
  const randomizer = generateMersenne53Randomizer(seed);
  const faker = new Faker({ locale: [en, base], randomizer });
  const next = (): number => randomizer.next();
  const int = (min: number, max: number): number => {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min)
      throw new RangeError(`bad int range [${min}, ${max}]`);
    return min + Math.floor(next() * (max - min + 1));
  };
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
