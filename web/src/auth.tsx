import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { ApiError, get, post, setCsrf, type User } from "./api";

type Auth = { user: User | null; ready: boolean; signIn: (user: User, csrf: string) => void; signOut: () => Promise<void>; refresh: () => Promise<void> };
const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  const refresh = async () => {
    try {
      const me = await get<{ user: User; csrfToken: string }>("/api/auth/me");
      setCsrf(me.csrfToken);
      setUser(me.user);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) console.error(e);
      setUser(null);
    } finally {
      setReady(true);
    }
  };
  useEffect(() => {
    void refresh();
  }, []);
  const value: Auth = {
    user,
    ready,
    refresh,
    signIn: (u, csrf) => {
      setCsrf(csrf);
      setUser(u);
    },
    signOut: async () => {
      await post("/api/auth/logout").catch(() => undefined);
      setCsrf("");
      setUser(null);
    },
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error("useAuth outside AuthProvider");
  return a;
}

/** The signed-in user (pages under the layout are only rendered when there is one). */
export function useMe(): User {
  const { user } = useAuth();
  if (!user) throw new Error("not signed in");
  return user;
}
