package io.rustmq.it.jakarta.app;

import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * The test's window into the application: {@code /api/send}, {@code /api/received}, {@code /api/health},
 * {@code /api/threads}. Failures answer 500 with the exception chain as text.
 */
@WebServlet("/api/*")
public class AppServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @EJB
    private Sender sender;
    @EJB
    private Recorder recorder;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        String body;
        try {
            String path = req.getPathInfo() == null ? "" : req.getPathInfo();
            switch (path) {
                case "/send" -> body = String.valueOf(sender.send(req.getParameter("topic"),
                        req.getParameter("prefix"), Integer.parseInt(req.getParameter("count")),
                        Integer.parseInt(param(req, "keys", req.getParameter("count"))),
                        Integer.parseInt(param(req, "poisonEvery", "0"))));
                case "/received" -> body = String.join("\n", recorder.lines(req.getParameter("topic")));
                case "/health" -> body = sender.health();
                case "/threads" -> body = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("rustmq-"))
                        .sorted(Comparator.comparingLong(Thread::getId))
                        .map(t -> t.getId() + "\t" + t.getName()).collect(Collectors.joining("\n"));
                default -> {
                    resp.sendError(404, "unknown path " + path);
                    return;
                }
            }
        } catch (Exception e) {
            resp.setStatus(500);
            StringBuilder sb = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
            }
            resp.getWriter().write(sb.toString());
            return;
        }
        resp.getWriter().write(body);
    }

    private static String param(HttpServletRequest req, String name, String fallback) {
        String v = req.getParameter(name);
        return v == null ? fallback : v;
    }
}
