import { foldText } from '../catalog/normalize.ts';

/**
 * Tokenisation shared by the local embedder and the redundancy measure of MMR: lower case, accents
 * folded (so "sécurité" and "securite" meet), stop words of EN and FR dropped, and a light
 * suffix stemmer so "deployments", "deploying" and "deploy" share a feature.
 */

const STOP_WORDS = new Set(
  (
    // English
    'a an and are as at be been being but by can could did do does for from had has have having he her his how i if in into is it its ' +
    'just may me more most must my no not of on or our ours out over own same she should so some such than that the their them then there ' +
    'these they this those through to too under up very was we were what when where which while who whom why will with would you your yours ' +
    'also any all about across within without each other both only well etc us ' +
    // French
    'au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre ' +
    'nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous y est sont etre avoir ete plus tres ' +
    'afin ainsi chez comme dont entre sans selon sous tout tous toute toutes'
  ).split(' '),
);

// Tokens keep inner "+", "#", "." and "/" so "c++", "c#", "node.js" and "ci/cd" survive.
const TOKEN = /[a-z0-9](?:[a-z0-9+#./-]*[a-z0-9+#])?/g;

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of foldText(text).matchAll(TOKEN)) {
    const token = match[0];
    if (token.length < 2 && !/\d/.test(token)) continue;
    if (STOP_WORDS.has(token)) continue;
    tokens.push(stem(token));
  }
  return tokens;
}

const SUFFIXES = ['ements', 'ement', 'ations', 'ation', 'ments', 'ment', 'ings', 'ing', 'ies', 'ers', 'er', 'ed', 'es', 's'];

/** A deliberately light stemmer: it only merges inflections, never two different words. */
export function stem(token: string): string {
  if (token.length <= 4 || /[^a-z]/.test(token)) return token;
  for (const suffix of SUFFIXES) {
    if (token.endsWith(suffix) && token.length - suffix.length >= 4) {
      const base = token.slice(0, -suffix.length);
      return suffix === 'ies' ? `${base}y` : base;
    }
  }
  return token;
}
