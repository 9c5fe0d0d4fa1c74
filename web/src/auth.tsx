import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { ApiError, call, routes, setCsrf, type User } from "./api";

/**
 * What the signed-in person may do across the instance, as the server's policy says (never derived from the role here).
 */
type InstanceAbilities = Record<
  | "createSpace"
  | "createCommunity"
  | "ask"
  | "manageInvitations"
  | "readAudit"
  | "administer"
  | "viewNetworkIndividuals"
  | "viewNetworkDepartments"
  | "planCommunities"
  | "importNetwork"
  | "readPeople"
  | "writeLesson"
  | "post"
  | "journal"
  | "announceSession",
  boolean
>;
type Me = User & { can: InstanceAbilities };
export type Session = { user: User; csrfToken: string; can: InstanceAbilities };

type Auth = {
  user: Me | null;
  ready: boolean;
  signIn: (session: Session) => void;
  signOut: () => Promise<void>;
  refresh: () => Promise<void>;
};
const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const refresh = async () => {
    try {
      const me = await call(routes.accounts.getAuthMe);
      setCsrf(me.csrfToken);
      setUser({ ...me.user, can: me.can as InstanceAbilities });
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
    signIn: (session) => {
      setCsrf(session.csrfToken);
      setUser({ ...session.user, can: session.can });
    },
    signOut: async () => {
      await call(routes.accounts.postAuthLogout).catch(() => undefined);
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
export function useMe(): Me {
  const { user } = useAuth();
  if (!user) throw new Error("not signed in");
  return user;
}
