app_name = "elevators"

urlpatterns: list = []
