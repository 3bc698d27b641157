package io.rustmq.examples.quarkus;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** {@code POST /greetings/{name}} sends a greeting to RustMQ; {@code GET /greetings} lists the ones read back. */
@Path("/greetings")
public class GreetingResource {

    @Inject
    @Channel("greetings-out")
    Emitter<Greeting> greetings;

    @Inject
    GreetingListener listener;

    /**
     * Sends a greeting; completes when the broker has stored it.
     *
     * @param name who to greet
     * @return the text sent
     */
    @POST
    @Path("/{name}")
    public CompletionStage<String> greet(@PathParam("name") String name) {
        Greeting greeting = new Greeting(name, "Hello, " + name + "!");
        return greetings.send(greeting).thenApply(ignored -> greeting.text());
    }

    /**
     * The greetings read back from the topic, newest last.
     *
     * @return up to the last 20 texts
     */
    @GET
    public List<String> received() {
        return listener.latest();
    }
}
