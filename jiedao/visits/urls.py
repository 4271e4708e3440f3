from django.urls import path

from jiedao.visits import views

app_name = "visits"

urlpatterns = [
    path("visits/", views.today, name="today"),
    path("visits/inbox/", views.inbox, name="inbox"),
    path("visits/scan/", views.scan, name="scan"),
    path("visits/h/<str:token>", views.checkin, name="checkin"),
    path("visits/households/<int:household_id>/visit/", views.start, name="start"),
    path("visits/submit/", views.submit, name="submit"),
    path("visits/v/<int:visit_id>/", views.visit, name="visit"),
    path("visits/v/<int:visit_id>/follow-up/", views.follow_up, name="follow-up"),
    path("visits/v/<int:visit_id>/card/", views.card, name="card"),
    path("visits/v/<int:visit_id>/photos/<str:token>", views.photo, name="photo"),
    path("visits/mine/", views.mine, name="mine"),
    path("visits/board/", views.board, name="board"),
    path("visits/plan/", views.plan, name="plan"),
    path("visits/tasks/", views.tasks, name="tasks"),
    path("visits/tasks/<int:task_id>/", views.task, name="task"),
    path("visits/tasks/<int:task_id>/<str:action>/", views.task_action, name="task-action"),
    path("visits/figures/", views.figures, name="figures"),
    path("visits/list/", views.visit_list, name="list"),
    path("visits/f/<str:token>", views.feedback, name="feedback"),
]
