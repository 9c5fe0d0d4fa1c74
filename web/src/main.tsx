import { StrictMode, Component, lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, Link, Outlet, RouterProvider } from "react-router";
import { AuthProvider } from "./auth";
import { Layout } from "./layout";
import { RouteFocus } from "./a11y";
import { Loading } from "./util";
import "./styles.css";

/**
 * Every page is its own chunk, loaded when its route is first visited: the first load of sign-in or
 * home carries neither the network map's graph libraries nor the Markdown renderer.
 */
function page<M>(load: () => Promise<M>, name: keyof M) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}
const authPages = () => import("./pages/auth-pages");
const spaces = () => import("./pages/spaces");
const articles = () => import("./pages/articles");
const questions = () => import("./pages/questions");
const inbox = () => import("./pages/inbox");
const learning = () => import("./pages/learning");
const people = () => import("./pages/people");
const communities = () => import("./pages/communities");
const sessions = () => import("./pages/sessions");
const feedback = () => import("./pages/feedback");
const LoginPage = page(authPages, "LoginPage");
const SetupPage = page(authPages, "SetupPage");
const InvitePage = page(authPages, "InvitePage");
const HomePage = page(spaces, "HomePage");
const SpacesPage = page(spaces, "SpacesPage");
const SpacePage = page(spaces, "SpacePage");
const ArticlePage = page(articles, "ArticlePage");
const EditorPage = page(articles, "EditorPage");
const HistoryPage = page(articles, "HistoryPage");
const TrashPage = page(articles, "TrashPage");
const CapturePage = page(() => import("./pages/capture"), "CapturePage");
const SearchPage = page(() => import("./pages/search"), "SearchPage");
const PeoplePage = page(people, "PeoplePage");
const CommunitiesPage = page(communities, "CommunitiesPage");
const CommunityPage = page(communities, "CommunityPage");
const SessionsPage = page(sessions, "SessionsPage");
const SessionPage = page(sessions, "SessionPage");
const paths = () => import("./pages/paths");
const PathsPage = page(paths, "PathsPage");
const PathPage = page(paths, "PathPageView");
const cohortsPage = () => import("./pages/cohorts");
const CohortsPage = page(cohortsPage, "CohortsPage");
const CohortPage = page(cohortsPage, "CohortPageView");
const mentoring = () => import("./pages/mentoring");
const MentoringPage = page(mentoring, "MentoringPage");
const ProgrammePage = page(mentoring, "ProgrammePageView");
const MentorshipPage = page(mentoring, "MentorshipPageView");
const workgroups = () => import("./pages/workgroups");
const WorkgroupsPage = page(workgroups, "WorkgroupsPage");
const templates = () => import("./pages/templates");
const TemplatesPage = page(templates, "TemplatesPage");
const NewWorkgroupPage = page(workgroups, "NewWorkgroupPage");
const WorkgroupPage = page(workgroups, "WorkgroupPageView");
const FeedbackPage = page(feedback, "FeedbackPage");
const NewFeedbackPage = page(feedback, "NewFeedbackPage");
const FeedbackRequestPage = page(feedback, "FeedbackRequestPage");
const ProfilePage = page(people, "ProfilePage");
const AdminPage = page(() => import("./pages/admin"), "AdminPage");
const NetworkPage = page(() => import("./pages/network"), "NetworkPage");
const AskPage = page(questions, "AskPage");
const QuestionPage = page(questions, "QuestionPage");
const QuestionsPage = page(questions, "QuestionsPage");
const AvailabilityPage = page(inbox, "AvailabilityPage");
const InboxPage = page(inbox, "InboxPage");
const VerificationReportPage = page(() => import("./pages/verification"), "VerificationReportPage");
const FeedPage = page(learning, "FeedPage");
const JournalPage = page(learning, "JournalPage");
const LessonPage = page(learning, "LessonPage");
const LessonsPage = page(learning, "LessonsPage");
const NewLessonPage = page(learning, "NewLessonPage");
const RetrospectivePage = page(learning, "RetrospectivePage");
const RetrospectivesPage = page(learning, "RetrospectivesPage");

/** The root of every route: title and focus follow the page; pages outside the frame load here. */
function Root() {
  return (
    <>
      <RouteFocus />
      <Suspense fallback={<Loading />}>
        <Outlet />
      </Suspense>
    </>
  );
}

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
  {
    element: <Root />,
    children: [
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
          { path: "/articles/:id/capture", element: <CapturePage /> },
          { path: "/trash", element: <TrashPage /> },
          { path: "/search", element: <SearchPage /> },
          { path: "/people", element: <PeoplePage /> },
          { path: "/communities", element: <CommunitiesPage /> },
          { path: "/communities/:id", element: <CommunityPage /> },
          { path: "/sessions", element: <SessionsPage /> },
          { path: "/sessions/:id", element: <SessionPage /> },
          { path: "/paths", element: <PathsPage /> },
          { path: "/paths/:id", element: <PathPage /> },
          { path: "/cohorts", element: <CohortsPage /> },
          { path: "/cohorts/:id", element: <CohortPage /> },
          { path: "/mentoring", element: <MentoringPage /> },
          { path: "/mentoring/:id", element: <ProgrammePage /> },
          { path: "/mentorships/:id", element: <MentorshipPage /> },
          { path: "/workgroups", element: <WorkgroupsPage /> },
          { path: "/templates", element: <TemplatesPage /> },
          { path: "/workgroups/new", element: <NewWorkgroupPage /> },
          { path: "/workgroups/:id", element: <WorkgroupPage /> },
          { path: "/feedback", element: <FeedbackPage /> },
          { path: "/feedback/new", element: <NewFeedbackPage /> },
          { path: "/feedback/:id", element: <FeedbackRequestPage /> },
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
