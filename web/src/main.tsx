import { StrictMode, Component, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, Link, RouterProvider } from "react-router";
import { AuthProvider } from "./auth";
import { Layout } from "./layout";
import { InvitePage, LoginPage, SetupPage } from "./pages/auth-pages";
import { HomePage, SpacePage, SpacesPage } from "./pages/spaces";
import { ArticlePage, EditorPage, HistoryPage, TrashPage } from "./pages/articles";
import { SearchPage } from "./pages/search";
import { PeoplePage, ProfilePage } from "./pages/people";
import { AdminPage } from "./pages/admin";
import { NetworkPage } from "./pages/network";
import { AskPage, QuestionPage, QuestionsPage } from "./pages/questions";
import { AvailabilityPage, InboxPage } from "./pages/inbox";
import { VerificationReportPage } from "./pages/verification";
import {
  FeedPage,
  JournalPage,
  LessonPage,
  LessonsPage,
  NewLessonPage,
  RetrospectivePage,
  RetrospectivesPage,
} from "./pages/learning";
import "./styles.css";

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        This page does not exist, or you do not have access to it. <Link to="/">Go home</Link>
      </p>
    </div>
  );
}

class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  render() {
    if (this.state.error)
      return (
        <div className="page">
          <h1>Something went wrong</h1>
          <p className="muted">{this.state.error.message}</p>
          <button onClick={() => location.reload()}>Reload</button>
        </div>
      );
    return this.props.children;
  }
}

const router = createBrowserRouter([
  { path: "/login", element: <LoginPage /> },
  { path: "/setup", element: <SetupPage /> },
  { path: "/invite/:token", element: <InvitePage /> },
  {
    element: <Layout />,
    children: [
      { path: "/", element: <HomePage /> },
      { path: "/spaces", element: <SpacesPage /> },
      { path: "/spaces/:id", element: <SpacePage /> },
      { path: "/spaces/:spaceId/new", element: <EditorPage /> },
      { path: "/articles/:id", element: <ArticlePage /> },
      { path: "/articles/:id/edit", element: <EditorPage /> },
      { path: "/articles/:id/history", element: <HistoryPage /> },
      { path: "/trash", element: <TrashPage /> },
      { path: "/search", element: <SearchPage /> },
      { path: "/people", element: <PeoplePage /> },
      { path: "/people/:id", element: <ProfilePage /> },
      { path: "/admin", element: <AdminPage /> },
      { path: "/network", element: <NetworkPage /> },
      { path: "/questions", element: <QuestionsPage /> },
      { path: "/questions/ask", element: <AskPage /> },
      { path: "/questions/:id", element: <QuestionPage /> },
      { path: "/inbox", element: <InboxPage /> },
      { path: "/verification", element: <VerificationReportPage /> },
      { path: "/lessons", element: <LessonsPage /> },
      { path: "/lessons/new", element: <NewLessonPage /> },
      { path: "/lessons/:id", element: <LessonPage /> },
      { path: "/retrospectives", element: <RetrospectivesPage /> },
      { path: "/retrospectives/:id", element: <RetrospectivePage /> },
      { path: "/feed", element: <FeedPage /> },
      { path: "/journal", element: <JournalPage /> },
      { path: "/me/availability", element: <AvailabilityPage /> },
      { path: "*", element: <NotFound /> },
    ],
  },
]);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ErrorBoundary>
      <AuthProvider>
        <RouterProvider router={router} />
      </AuthProvider>
    </ErrorBoundary>
  </StrictMode>,
);
