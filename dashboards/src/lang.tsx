// The language of the page: Swedish unless the person chose English (remembered on this device).
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { DEFAULT_LANG, translate, type Key } from './i18n.js';
import type { Lang } from './types.js';

const STORAGE_KEY = 'telehealth.lang';

export interface LangValue {
  lang: Lang;
  setLang(l: Lang): void;
  t(key: Key, vars?: Record<string, string | number>): string;
}

const LangContext = createContext<LangValue>({
  lang: DEFAULT_LANG,
  setLang: () => {},
  t: (key, vars) => translate(DEFAULT_LANG, key, vars),
});

function initial(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'sv' || saved === 'en') return saved;
  } catch {
    // storage off: the default
  }
  return DEFAULT_LANG;
}

export function LangProvider({ children }: { children: ComponentChildren }) {
  const [lang, setLangState] = useState<Lang>(initial);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = translate(lang, 'appTitle');
  }, [lang]);
  const value = useMemo<LangValue>(
    () => ({
      lang,
      setLang(l) {
        setLangState(l);
        try {
          localStorage.setItem(STORAGE_KEY, l);
        } catch {
          // not remembered
        }
      },
      t: (key, vars) => translate(lang, key, vars),
    }),
    [lang],
  );
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export const useLang = () => useContext(LangContext);

/** A clock for relative times and countdowns, ticking every `ms`. */
export function useNow(ms = 15_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
